// Display texts: times as the seed shows them, durations, and the Chinese
// names of the API's enumerations.

/**
 * "2014-10-31T12:06:00+08:00" → "2014-10-31 12:06". The server already
 * sends Asia/Shanghai times, so the text is cut, not converted: the page
 * shows the same wall-clock time whatever the browser's time zone.
 */
export function shortTime(rfc3339) {
  if (!rfc3339) return '';
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})/.exec(rfc3339);
  return m ? `${m[1]} ${m[2]}` : rfc3339;
}

/** The same with seconds, for logs. */
export function longTime(rfc3339) {
  if (!rfc3339) return '';
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}:\d{2})/.exec(rfc3339);
  return m ? `${m[1]} ${m[2]}` : rfc3339;
}

/** 3725 → "1小时2分钟"; under a minute → "不到1分钟". */
export function age(seconds) {
  const s = Math.max(0, Number(seconds) || 0);
  const days = Math.floor(s / 86400);
  const hours = Math.floor((s % 86400) / 3600);
  const minutes = Math.floor((s % 3600) / 60);
  if (days) return `${days}天${hours}小时`;
  if (hours) return `${hours}小时${minutes}分钟`;
  if (minutes) return `${minutes}分钟`;
  return '不到1分钟';
}

export const ID_TYPES = [
  ['resident', '居民身份证'],
  ['hk_macao_permit', '港澳居民来往内地通行证'],
  ['taiwan_permit', '台湾居民来往大陆通行证'],
  ['residence_permit', '港澳台居民居住证'],
  ['passport', '护照'],
];

export function idTypeName(type) {
  const found = ID_TYPES.find(([key]) => key === type);
  return found ? found[1] : type || '';
}

const ACCOUNT_STATUS = {
  active: '正常',
  restricted: '证件号码重复，待审核',
  cancelled: '已注销',
};
export const accountStatusName = (s) => ACCOUNT_STATUS[s] || s || '';

const REVIEW_STATE = {
  open: '待客服审核',
  approved: '审核通过',
  rejected: '审核未通过',
  withdrawn: '已撤销（证件号码已通过其他方式完成审核）',
  void: '已撤销',
};
export const reviewStateName = (s) => REVIEW_STATE[s] || s || '';

const ASSIST_STATE = {
  pending: '待同学处理',
  approved: '证件重复协助审核通过',
  declined: '同学已拒绝协助',
  expired: '请求已过期',
  void: '请求已失效',
};
export const assistStateName = (s) => ASSIST_STATE[s] || s || '';

const EVENT_KIND = {
  registered_holder: '注册（证件号码持有者）',
  registered_claimant: '重复注册（待审核）',
  review_opened: '提交客服审核',
  review_rejected: '客服审核未通过',
  assist_requested: '发送协助请求',
  assist_declined: '同学拒绝协助',
  resolved_by_review: '客服审核通过',
  resolved_by_assist: '证件重复协助审核通过',
};
/** A claim history kind in Chinese, or the kind itself when unknown. */
export const eventKindName = (k) => EVENT_KIND[k] || k || '';

/** "是" / "否" for a flag. */
export const yesNo = (b) => (b ? '是' : '否');
