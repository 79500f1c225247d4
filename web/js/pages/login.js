// 登录: students and reviewers log in through the same form.

import { h } from '../dom.js';
import { form, choiceLinks } from '../form.js';
import { plainPage } from '../layout.js';
import { session, login, staffHome } from '../session.js';

/** Only same-site paths may be the place to go after login. */
function safeNext(next) {
  return next && next.startsWith('/') && !next.startsWith('//') ? next : null;
}

export function loginPage(ctx) {
  const next = safeNext(ctx.query.get('next'));
  if (session.kind === 'account' || session.kind === 'staff') {
    const home = session.kind === 'staff' ? staffHome(session.staff) : '/account';
    return plainPage('登录',
      h('p', {}, '您已登录。'),
      h('p', {}, h('a', { href: home, class: 'btn btn-primary' }, '进入帐号')));
  }
  const f = form({
    class: 'login-form',
    labelledBy: 'page-title',
    submit: '登录',
    fields: [
      { name: 'username', label: '用户名', required: true, autocomplete: 'username' },
      { name: 'password', label: '密码', type: 'password', required: true, autocomplete: 'current-password' },
    ],
    async onSubmit(values, ctl) {
      if (!values.username.trim()) {
        ctl.fields.username.setError('请填写用户名');
        ctl.fields.username.input.focus();
        return;
      }
      if (!values.password) {
        ctl.fields.password.setError('请填写密码');
        ctl.fields.password.input.focus();
        return;
      }
      const res = await login(values.username.trim(), values.password);
      if (!res.ok) {
        if (res.problem.code === 'ACCOUNT_CANCELLED') {
          ctl.formError(res.problem.message,
            res.problem.reason ? h('p', {}, `原因：${res.problem.reason}`) : null,
            h('p', {}, '如果您还有其他帐号，可以', choiceLinks([['/recover-username', '找回用户名']])));
          return;
        }
        if (res.problem.code === 'BAD_CREDENTIALS') {
          ctl.fields.password.setError(res.problem.message);
          ctl.fields.password.input.focus();
          return;
        }
        ctl.showProblem(res.problem);
        return;
      }
      const home = res.data.staff ? staffHome(res.data.staff) : '/account';
      ctx.navigate(next || home, { replace: true });
    },
  });
  return plainPage('登录学信网帐号',
    ctx.flash ? h('p', { class: 'notice', role: 'status' }, ctx.flash) : null,
    f.el,
    h('p', { class: 'page-links' }, '没有帐号？',
      choiceLinks([['/register', '注册'], ['/recover-username', '找回用户名']])));
}
