// Text modules bundled by wrangler (its default rule for **/*.txt).
declare module '*.txt' {
  const text: string;
  export default text;
}
