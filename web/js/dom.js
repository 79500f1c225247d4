// Small helpers to build DOM nodes without innerHTML: every text that came
// from the server or the user goes in as a text node, never as markup.

/**
 * Creates an element. `attrs` keys: `class`, `for`, `text`, `on<Event>`
 * (a listener), `dataset` (an object), booleans (set when true, left out
 * when false), anything else as an attribute. Children may be nodes,
 * strings, numbers, arrays of those, or null/undefined/false (skipped).
 */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'class') el.className = value;
    else if (key === 'for') el.htmlFor = value;
    else if (key === 'text') el.textContent = value;
    else if (key === 'dataset') Object.assign(el.dataset, value);
    else if (key.startsWith('on') && typeof value === 'function')
      el.addEventListener(key.slice(2).toLowerCase(), value);
    else if (value === true) el.setAttribute(key, '');
    else el.setAttribute(key, String(value));
  }
  append(el, children);
  return el;
}

/** Appends children (same forms as h()) to `parent`. */
export function append(parent, children) {
  for (const child of [children].flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    parent.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return parent;
}

/** Replaces all children of `parent`. */
export function replace(parent, ...children) {
  parent.replaceChildren();
  return append(parent, children);
}

/** A link handled by the client-side router. */
export function link(href, ...children) {
  return h('a', { href }, ...children);
}

/** A seed-style bracketed link such as 【解决方法】. */
export function bracketLink(href, label) {
  return h('a', { href, class: 'bracket-link' }, `【${label}】`);
}

let idCounter = 0;
/** A document-unique id with a readable prefix. */
export function uid(prefix) {
  idCounter += 1;
  return `${prefix}-${idCounter}`;
}
