#define CAF_SUITE metrics.names
#include <caf/test/unit_test.hpp>

#include <string>
#include <string_view>

#include "metrics/names.hpp"

using namespace idclaim::metrics;
using namespace std::string_literals;

CAF_TEST(metric names follow the Prometheus grammar) {
  for (auto good : {"a", "_x", ":x", "idclaim_http_requests_total",
                    "ns:sub_metric:rate5m", "A9"})
    CAF_CHECK(is_valid_metric_name(good));
  for (auto bad : {"", "9lives", "a-b", "a b", "a.b", "a{b}", "é", "a\n"})
    CAF_CHECK(!is_valid_metric_name(bad));
}

CAF_TEST(label names follow the grammar and leave the reserved prefix) {
  for (auto good : {"route", "_x", "status_class", "le", "a1", "_"})
    CAF_CHECK(is_valid_label_name(good));
  for (auto bad : {"", "1a", "a:b", "a-b", "__name__", "__x", "ro ute"})
    CAF_CHECK(!is_valid_label_name(bad));
}

CAF_TEST(label values must be short printable ASCII) {
  CAF_CHECK(is_valid_label_value(""));
  CAF_CHECK(is_valid_label_value("/api/v1/accounts/{id}"));
  CAF_CHECK(is_valid_label_value(R"(a "quoted" \ value ~)"));
  CAF_CHECK(is_valid_label_value(std::string(100, 'x')));
  CAF_CHECK(!is_valid_label_value(std::string(101, 'x')));
  CAF_CHECK(!is_valid_label_value("line\nbreak"));
  CAF_CHECK(!is_valid_label_value("tab\there"));
  CAF_CHECK(!is_valid_label_value("nul\0byte"s));
  CAF_CHECK(!is_valid_label_value("\x7f"));
  CAF_CHECK(!is_valid_label_value("张三"));
}

CAF_TEST(checked_label_value keeps good values and replaces bad ones) {
  CAF_CHECK_EQUAL(checked_label_value("2xx"), "2xx");
  CAF_CHECK_EQUAL(checked_label_value("张三"), "invalid");
  CAF_CHECK_EQUAL(checked_label_value(std::string(101, 'x')), "invalid");
}
