/** `.fabric` files are embedded as text by esbuild's text loader. */
declare module '*.fabric' {
  const text: string;
  export default text;
}
