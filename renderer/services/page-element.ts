// The page's fixed elements (index.html), looked up once with their type checked: a renamed id fails at
// start-up with a message that names it, not later as a null somewhere.

export function pageElement<T extends HTMLElement>(id: string, type: new () => T): T {
  const found = document.getElementById(id);
  if (!(found instanceof type)) throw new Error(`tailwatch: index.html lacks the #${id} element`);
  return found;
}
