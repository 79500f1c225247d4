// Small inline SVG line charts for the 运行状态 page: no chart library,
// drawn with DOM calls (the content security policy allows no inline
// script or style), each with a text alternative for screen readers.

const SVG = 'http://www.w3.org/2000/svg';

function svg(tag, attrs) {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  return el;
}

/**
 * A line chart of `values` (numbers or null for gaps), `width`×`height`
 * user units, scaled from 0 to a little above the largest value. `label` names it for
 * assistive technology.
 */
export function lineChart(values, { width = 300, height = 80, label = '' } = {}) {
  const root = svg('svg', {
    viewBox: `0 0 ${width} ${height}`, class: 'chart', role: 'img',
    'aria-label': label, preserveAspectRatio: 'none',
  });
  root.append(svg('rect', { x: 0, y: 0, width, height, class: 'chart-bg' }));
  const known = values.filter((v) => Number.isFinite(v));
  if (!known.length) return root;
  // Headroom above the largest value, so a flat line does not hug the top.
  const max = Math.max(...known, 1e-9) * 1.2;
  const step = values.length > 1 ? width / (values.length - 1) : width;
  const pad = 4;
  let path = '';
  let pen = false;
  values.forEach((v, i) => {
    if (!Number.isFinite(v)) {
      pen = false;
      return;
    }
    const x = (i * step).toFixed(1);
    const y = (height - pad - (v / max) * (height - 2 * pad)).toFixed(1);
    path += `${pen ? 'L' : 'M'}${x} ${y} `;
    pen = true;
  });
  root.append(svg('path', { d: path.trim(), class: 'chart-line', fill: 'none' }));
  return root;
}
