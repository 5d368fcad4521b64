/** The built-in model catalog, written in Fabric (catalog.fabric) and embedded by the bundler. */
import catalogText from './catalog.fabric';

export const CATALOG_PATH = 'builtin:/catalog.fabric';
export const CATALOG_TEXT: string = catalogText;

/** The model a device of each kind uses when it names none (§4). */
export const DEFAULT_MODEL = { gpu: 'gpu', cpu: 'cpu', switch: 'scorpio_x', memory: 'cxl_expander' } as const;
