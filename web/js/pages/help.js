// 【解决方法】: the seed's explanation of both conflict cases, in its words.

import { h } from '../dom.js';
import { plainPage } from '../layout.js';

/** The seed's photo rules (照片要求), shared with the review page. */
export const PHOTO_RULES = [
  '拍摄时，手持本人身份证，将持证的手臂和上半身整个拍进照片，脸部清晰且不能被遮挡；',
  '确保身份证上的所有信息清晰可见、完整（没有被遮挡或者被手指捏住）；',
  '照片内容要求真实有效，不得做任何修改；',
  '仅支持 .jpg .jpeg .png .gif 的图片格式，图片大小不超过300K。',
];

/** 照片要求：… with the four rules, as a labelled list. */
export function photoRules() {
  return h('section', { class: 'photo-rules', 'aria-labelledby': 'photo-rules-title' },
    h('h3', { id: 'photo-rules-title' }, '照片要求：（需符合以下要求，否则不予审核通过）'),
    h('ol', {}, PHOTO_RULES.map((rule) => h('li', {}, rule))));
}

const recover = () => h('a', { href: '/recover-username', class: 'bracket-link' }, '【找回用户名】');

export function helpPage() {
  return plainPage('学信网证件号码已被注册的解决方法',
    h('section', { class: 'card', 'aria-labelledby': 'case-1' },
      h('h2', { id: 'case-1' }, '情况一：证件号码等待客服审核'),
      h('p', {}, '身份证填写后提示“', h('strong', {}, '证件号码已经被注册，客服审核通过后才能被再次注册'),
        '”。这种情况表示该身份证号码存在被多个用户使用的情况，身份证信息正在等待客服的审核。如果您曾经使用该身份证号码注册过帐号，请通过原用户名',
        h('a', { href: '/login' }, '登录'),
        '并使用系统，如果忘记注册用户名的，可通过', recover(), '完成用户名的找回并使用旧的用户名登录系统。')),
    h('section', { class: 'card', 'aria-labelledby': 'case-2' },
      h('h2', { id: 'case-2' }, '情况二：证件号码已被注册'),
      h('p', {}, '填写身份证号后提示“', h('strong', {}, '证件号码已被注册，查看【解决方法】'),
        '”。这种情况下表示系统已经有可用的帐号使用该身份证号码进行了注册，如果您曾经使用该身份证号码注册过帐号，请通过原用户名',
        h('a', { href: '/login' }, '登录'),
        '并使用系统；如果忘记注册用户名的，可通过', recover(), '完成用户名的找回并使用旧的用户名登录系统。'),
      h('p', {}, '如果本人的确未使用此身份证号码注册过帐号，可以继续使用此身份证号码进行基本信息的填写，并正确填写其他信息项后点击【完成注册】。系统会在基本信息填写完成之后要求你上传身份证照片，进入客服审核身份信息阶段。只有待客服审核通过之后才能进行其他的操作。'),
      h('p', { class: 'warning-text' }, '管理员审核通过后，将会注销使用了该证件号码的其他帐号；如果旧帐号进行过兵役登记/应征报名、研招报名，将会暂时有影响，请慎重此操作。'),
      h('h3', {}, '方法一：证件重复-客服审核'),
      h('p', {}, '上传手持身份证照片，提交客服审核。'),
      photoRules(),
      h('h3', {}, '方法二（推荐方法）：证件重复-用户协助'),
      h('p', {}, '手持身份证这是操作方法之一，但是建议大家最好采取同学协助的方法解决身份证已经注册的问题，因为手持身份证步骤麻烦，提交到客服那里后处理速度太慢，所以最好是找同学协助，这样马上就可以通过验证。'),
      h('p', {}, '首先，身份证已经被注册的学生登录学信网，发送协助请求给班级内已经可以正常登录学信网的同学，填写同学姓名、同学手机、自己手机号。也可以通过左侧菜单的“证件重复-用户协助”来解决证件号码重复的问题。然后请该同学登录自己帐号，点击页面右上角的收件箱，协助解决证件号码重复。')),
    h('p', { class: 'page-links' },
      h('a', { href: '/register', class: 'bracket-link' }, '【返回注册】'), ' ',
      h('a', { href: '/login', class: 'bracket-link' }, '【登录】'), ' ',
      recover()));
}
