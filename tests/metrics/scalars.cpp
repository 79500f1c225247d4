#define CAF_SUITE metrics.scalars
#include <caf/test/unit_test.hpp>

#include <cmath>
#include <limits>
#include <memory>
#include <stdexcept>

#include "metrics/callback.hpp"
#include "metrics/counter.hpp"
#include "metrics/gauge.hpp"

using namespace idclaim::metrics;

CAF_TEST(a counter only goes up) {
  counter c;
  CAF_CHECK_EQUAL(c.value(), 0u);
  c.inc();
  c.inc(41);
  CAF_CHECK_EQUAL(c.value(), 42u);
}

CAF_TEST(a double counter ignores negative and non - finite steps) {
  double_counter c;
  c.inc();
  c.inc(0.5);
  c.inc(-3);
  c.inc(std::numeric_limits<double>::quiet_NaN());
  c.inc(std::numeric_limits<double>::infinity());
  CAF_CHECK(c.value() == 1.5);
}

CAF_TEST(a gauge goes up down and can be set) {
  gauge g;
  g.inc();
  g.inc(4);
  g.dec(7);
  CAF_CHECK_EQUAL(g.value(), -2);
  g.set(9);
  CAF_CHECK_EQUAL(g.value(), 9);
  double_gauge d;
  d.inc(0.75);
  d.dec();
  CAF_CHECK(d.value() == -0.25);
  d.set(3.5);
  CAF_CHECK(d.value() == 3.5);
}

CAF_TEST(a callback reads its source at each call) {
  auto depth = std::make_shared<int>(3);
  callback_gauge g;
  CAF_CHECK(std::isnan(g.value()));
  g.set([depth] { return static_cast<double>(*depth); });
  CAF_CHECK(g.value() == 3.0);
  *depth = 8;
  CAF_CHECK(g.value() == 8.0);
  g.set([] { return 1.0; });
  CAF_CHECK(g.value() == 1.0);
}

CAF_TEST(a throwing or empty callback reads as NaN) {
  callback_counter c;
  c.set([]() -> double { throw std::runtime_error("source gone"); });
  CAF_CHECK(std::isnan(c.value()));
  c.set(nullptr);
  CAF_CHECK(std::isnan(c.value()));
}

CAF_TEST(callback types fix the family type) {
  CAF_CHECK(callback_gauge::type == metric_type::gauge);
  CAF_CHECK(callback_counter::type == metric_type::counter);
  CAF_CHECK_EQUAL(to_string(metric_type::histogram), "histogram");
}
