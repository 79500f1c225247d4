// Accessible forms: every input has a label, an optional hint and an error
// slot tied to it with aria-describedby; the API's `field` decides where an
// error is shown, and a problem without a field goes to the form's alert.

import { h, append, replace, uid } from './dom.js';

/**
 * One labelled field. Options: name (the API's field name), label, type
 * ('text', 'password', 'tel', 'email', 'file', 'select', 'textarea',
 * 'checkbox'), hint, value, autocomplete, required, options (for select:
 * [[value, text]]), accept (for file), inputmode, maxlength, describedBy
 * (ids of more elements that describe the input).
 * Returns {el, input, name, setError(message, ...extra), clearError()}.
 */
export function field(opts) {
  const id = uid(`f-${opts.name}`);
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  let input;
  if (opts.type === 'select') {
    input = h('select', { id, name: opts.name },
      (opts.options || []).map(([value, text]) =>
        h('option', { value, selected: value === opts.value }, text)));
  } else if (opts.type === 'textarea') {
    input = h('textarea', { id, name: opts.name, rows: opts.rows || 3,
      maxlength: opts.maxlength });
    if (opts.value) input.value = opts.value;
  } else {
    input = h('input', {
      id,
      name: opts.name,
      type: opts.type || 'text',
      autocomplete: opts.autocomplete || (opts.type === 'password' ? 'off' : undefined),
      inputmode: opts.inputmode,
      maxlength: opts.maxlength,
      accept: opts.accept,
      spellcheck: opts.type === 'text' || !opts.type ? 'false' : undefined,
    });
    if (opts.value !== undefined && opts.type !== 'file') input.value = opts.value;
  }
  if (opts.required) input.setAttribute('aria-required', 'true');
  const hint = opts.hint ? h('p', { id: hintId, class: 'field-hint' }, opts.hint) : null;
  const error = h('div', { id: errorId, class: 'field-error', hidden: true });
  // The required mark stays outside the label so the field's name is just
  // its label; aria-required says it to screen readers.
  const label = h('label', { for: id, class: 'field-label' }, opts.label);
  const star = opts.required ? h('span', { class: 'required', 'aria-hidden': 'true' }, '*') : null;
  const describe = (withError) => {
    const ids = [hint ? hintId : null, ...(opts.describedBy || []),
      withError ? errorId : null].filter(Boolean);
    if (ids.length) input.setAttribute('aria-describedby', ids.join(' '));
    else input.removeAttribute('aria-describedby');
  };
  describe(false);
  const el = opts.type === 'checkbox'
    ? h('div', { class: 'field field-check' }, input, label, hint, error)
    : h('div', { class: 'field' }, h('div', { class: 'label-row' }, label, star), input, hint, error);
  if (opts.type === 'checkbox') input.checked = Boolean(opts.value);
  return {
    el,
    input,
    name: opts.name,
    setError(message, ...extra) {
      replace(error, h('span', { class: 'error-icon', 'aria-hidden': 'true' }, '!'),
        h('span', { class: 'error-text' }, message), extra);
      error.hidden = false;
      input.setAttribute('aria-invalid', 'true');
      el.classList.add('has-error');
      describe(true);
    },
    clearError() {
      error.replaceChildren();
      error.hidden = true;
      input.removeAttribute('aria-invalid');
      el.classList.remove('has-error');
      describe(false);
    },
  };
}

/**
 * A form of fields. `spec.fields` are field() options or ready nodes
 * (inserted as they are); `spec.submit` the button text; `spec.onSubmit(values,
 * form)` an async function. Returns a controller with el, fields (by name),
 * values(), showProblem(problem), formError(message), clear(), busy(flag),
 * success(message).
 */
export function form(spec) {
  const fields = {};
  const alertBox = h('div', { class: 'form-alert', role: 'alert', hidden: true });
  const okBox = h('div', { class: 'form-success', role: 'status', hidden: true });
  const button = h('button', { type: 'submit', class: 'btn btn-primary' }, spec.submit || '确定');
  const extraButtons = spec.buttons || [];
  const body = spec.fields.map((f) => {
    if (f instanceof Node) return f;
    const made = field(f);
    fields[f.name] = made;
    return made.el;
  });
  const el = h('form', { class: `form ${spec.class || ''}`, novalidate: true,
    'aria-labelledby': spec.labelledBy },
  alertBox, body, h('div', { class: 'form-actions' }, extraButtons, button), okBox);

  const ctl = {
    el,
    fields,
    button,
    values() {
      const out = {};
      for (const [name, f] of Object.entries(fields)) {
        if (f.input.type === 'checkbox') out[name] = f.input.checked;
        else if (f.input.type === 'file') out[name] = f.input.files[0] || null;
        else out[name] = f.input.value;
      }
      return out;
    },
    clear() {
      alertBox.hidden = true;
      alertBox.replaceChildren();
      okBox.hidden = true;
      okBox.replaceChildren();
      for (const f of Object.values(fields)) f.clearError();
    },
    formError(message, ...extra) {
      replace(alertBox, h('p', {}, message), extra);
      alertBox.hidden = false;
    },
    success(message, ...extra) {
      replace(okBox, h('p', {}, message), extra);
      okBox.hidden = false;
    },
    /** Shows a problem next to its field, or at the top of the form. */
    showProblem(problem, ...extra) {
      const target = problem.field && fields[problem.field];
      if (target) {
        target.setError(problem.message, ...extra);
        target.input.focus();
      } else {
        ctl.formError(problem.message, ...extra);
        alertBox.setAttribute('tabindex', '-1');
        alertBox.focus();
      }
    },
    busy(flag) {
      button.disabled = flag;
      el.setAttribute('aria-busy', flag ? 'true' : 'false');
    },
  };
  el.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (el.getAttribute('aria-busy') === 'true') return;
    ctl.clear();
    ctl.busy(true);
    try {
      await spec.onSubmit(ctl.values(), ctl);
    } finally {
      ctl.busy(false);
    }
  });
  return ctl;
}

/** A small list of link choices shown under an error (登录, 找回用户名…). */
export function choiceLinks(items) {
  return h('span', { class: 'choice-links' },
    items.map(([href, label]) => h('a', { href, class: 'bracket-link' }, `【${label}】`)));
}

/** Appends `children` to a container; a convenience for pages. */
export { append };
