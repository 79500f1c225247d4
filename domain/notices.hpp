#pragma once

#include <string>
#include <string_view>

namespace idclaim::domain {

// The zh-CN texts idclaim sends by SMS or stores as reasons. They never name
// a person, an ID number or a mobile.

/// Why an account was cancelled when another account won its claim.
inline constexpr std::string_view cancel_reason_text
  = "该证件号码已通过证件重复审核认证给其他帐号，本帐号已注销。"
    "如有疑问请联系客服。";

/// The SMS to the holder of an ID when someone claims it.
inline constexpr std::string_view sms_claim_contested
  = "【学信网】有人使用您的证件号码注册了帐号并申请证件重复审核。"
    "如非本人知情，请尽快登录学信网帐号查看收件箱。";

/// The SMS carrying a verification code for `purpose` ("bind" for
/// 实名绑定, "recover" for 找回用户名).
std::string sms_code_text(std::string_view code, std::string_view purpose);

/// The result shown when a classmate approved an assist request.
inline constexpr std::string_view assist_approved_text = "证件重复协助审核通过";

/// The warning shown before submitting a review and to the reviewer when
/// the holder has military-service or graduate-admission registrations.
inline constexpr std::string_view holder_registrations_warning
  = "管理员审核通过后，将会注销使用了该证件号码的其他帐号；如果旧帐号进行过"
    "兵役登记/应征报名、研招报名，将会暂时有影响，请慎重此操作。";

/// The same warning when the holder has no such registrations.
inline constexpr std::string_view holder_plain_warning
  = "管理员审核通过后，将会注销使用了该证件号码的其他帐号，请慎重此操作。";

} // namespace idclaim::domain
