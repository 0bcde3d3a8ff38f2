// Lets TypeScript accept `import './charts.css'`: esbuild bundles imported CSS into app.css. A shorthand
// ambient module, so the same declaration elsewhere in the renderer merges with this one.
declare module '*.css';
