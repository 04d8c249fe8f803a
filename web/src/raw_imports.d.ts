// Vite's "?raw" imports (the file's text), which the tests use to read the hand-written pages.
declare module '*?raw' {
  const text: string;
  export default text;
}
