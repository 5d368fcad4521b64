/**
 * Zoom, pan and fit for the topology drawing, by moving the SVG's viewBox: the wheel zooms around
 * the pointer, a drag pans, fit returns to the drawing's own viewBox.
 */
export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** A drag shorter than this (in screen pixels) is still a click. */
const CLICK_TOLERANCE = 4;

export class ViewBox {
  private readonly natural: Box;
  private current: Box;
  private drag: { x: number; y: number; box: Box; moved: boolean } | undefined;
  /** True right after a drag, so that the click ending it does not count. */
  dragged = false;

  /** Takes over a drawing in its frame, at `initial` (the previous drawing's view) or fitted. */
  constructor(
    private readonly frame: HTMLElement,
    private readonly svg: SVGSVGElement,
    initial?: Box,
  ) {
    const { x, y, width, height } = svg.viewBox.baseVal;
    this.natural = { x, y, width, height };
    this.current = initial ?? { ...this.natural };
    svg.removeAttribute('width');
    svg.removeAttribute('height');
    this.apply();
    frame.addEventListener('wheel', (event) => this.onWheel(event), { passive: false });
    frame.addEventListener('pointerdown', (event) => this.onPointerDown(event));
    frame.addEventListener('pointermove', (event) => this.onPointerMove(event));
    frame.addEventListener('pointerup', (event) => this.onPointerUp(event));
  }

  get box(): Box {
    return { ...this.current };
  }

  fit(): void {
    this.current = { ...this.natural };
    this.apply();
  }

  /** Scales the view by `factor` (< 1 zooms in) around a point of the drawing, its centre by default. */
  zoom(factor: number, around?: { x: number; y: number }): void {
    const box = this.current;
    const centre = around ?? { x: box.x + box.width / 2, y: box.y + box.height / 2 };
    this.current = {
      x: centre.x - (centre.x - box.x) * factor,
      y: centre.y - (centre.y - box.y) * factor,
      width: box.width * factor,
      height: box.height * factor,
    };
    this.apply();
  }

  private apply(): void {
    const box = this.current;
    this.svg.setAttribute('viewBox', `${box.x} ${box.y} ${box.width} ${box.height}`);
  }

  /** The drawing point under a screen point, and drawing units per screen pixel. */
  private toDrawing(clientX: number, clientY: number): { x: number; y: number; scale: number } | undefined {
    const matrix = this.svg.getScreenCTM();
    if (!matrix) return undefined;
    const point = new DOMPoint(clientX, clientY).matrixTransform(matrix.inverse());
    return { x: point.x, y: point.y, scale: 1 / matrix.a };
  }

  private onWheel(event: WheelEvent): void {
    const at = this.toDrawing(event.clientX, event.clientY);
    if (!at) return;
    event.preventDefault();
    this.zoom(Math.exp(event.deltaY * 0.002), at);
  }

  private onPointerDown(event: PointerEvent): void {
    if (event.button !== 0) return;
    this.dragged = false;
    this.drag = { x: event.clientX, y: event.clientY, box: { ...this.current }, moved: false };
  }

  private onPointerMove(event: PointerEvent): void {
    const drag = this.drag;
    const at = drag && this.toDrawing(event.clientX, event.clientY);
    if (!drag || !at) return;
    const dx = event.clientX - drag.x;
    const dy = event.clientY - drag.y;
    if (!drag.moved && Math.hypot(dx, dy) < CLICK_TOLERANCE) return;
    if (!drag.moved) this.frame.setPointerCapture(event.pointerId);
    drag.moved = true;
    this.current = { ...drag.box, x: drag.box.x - dx * at.scale, y: drag.box.y - dy * at.scale };
    this.apply();
  }

  private onPointerUp(event: PointerEvent): void {
    this.dragged = this.drag?.moved ?? false;
    this.drag = undefined;
    if (this.frame.hasPointerCapture(event.pointerId)) this.frame.releasePointerCapture(event.pointerId);
  }
}
