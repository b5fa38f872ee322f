// Test helper: a ConnectionPolicy that counts the connections a run asks for
// (the fast-path tests of tests/postgresql_test.cpp and tests/mariadb_test.cpp).
#pragma once

#include <memory>
#include <string>
#include <utility>

namespace test_support {

template <class Inner>
struct CountingPolicy {
  using adapter_type = typename Inner::adapter_type;
  Inner inner;
  std::shared_ptr<int> calls = std::make_shared<int>(0);
  CountingPolicy() = default;
  explicit CountingPolicy(adapter_type adapter) : inner(std::move(adapter)) {}
  adapter_type& adapter() { return inner.adapter(); }
  template <class F>
  decltype(auto) with_connection(const std::string& target, F&& f) {
    ++*calls;
    return inner.with_connection(target, std::forward<F>(f));
  }
};

}  // namespace test_support
