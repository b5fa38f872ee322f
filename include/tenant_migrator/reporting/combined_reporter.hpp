// Several reporters as one: each event goes to every reporter, in order.
// The set is fixed at compile time (a Boost.Hana tuple), so dispatch is a
// plain sequence of calls with no virtual functions or allocation.
#pragma once

#include <boost/hana/at.hpp>
#include <boost/hana/for_each.hpp>
#include <boost/hana/integral_constant.hpp>
#include <boost/hana/tuple.hpp>
#include <utility>

#include "../concepts/reporter.hpp"

namespace tenant_migrator {

template <Reporter... Rs>
class CombinedReporter {
 public:
  explicit CombinedReporter(Rs... reporters) : reporters_(std::move(reporters)...) {}

  template <class Event>
    requires is_reporter_event<Event>
  void on(const Event& event) {
    boost::hana::for_each(reporters_, [&](auto& reporter) { reporter.on(event); });
  }

  // The I-th reporter, e.g. to read what a collecting reporter gathered.
  template <std::size_t I>
  auto& get() {
    return reporters_[boost::hana::size_c<I>];
  }

 private:
  boost::hana::tuple<Rs...> reporters_;
};

template <Reporter... Rs>
CombinedReporter<Rs...> combine_reporters(Rs... reporters) {
  return CombinedReporter<Rs...>(std::move(reporters)...);
}

}  // namespace tenant_migrator
