#include "domain/notices.hpp"

namespace idclaim::domain {

std::string sms_code_text(std::string_view code, std::string_view purpose) {
  std::string what = purpose == "recover" ? "找回用户名" : "手机实名绑定";
  return "【学信网】您正在进行" + what + "，验证码：" + std::string{code}
         + "，5分钟内有效。请勿将验证码告知他人。";
}

} // namespace idclaim::domain
