// The Reporter concept: receives every event of a run (reporting/events.hpp,
// docs/concepts/reporter.md).
//
// Minimal complete definition: `void on(const E&)` for each event type E of
// reporter_events below.
// Derive from NullReporter (and write `using NullReporter::on;`) to handle
// only some of them. Rules: a reporter must not throw (a reporter's failure
// must never turn a migrated tenant into a failed one) and must not block for long.
#pragma once

#include <boost/hana/contains.hpp>
#include <boost/hana/type.hpp>
#include <boost/hana/tuple.hpp>
#include <boost/hana/type.hpp>
#include <boost/hana/unpack.hpp>

#include "../reporting/events.hpp"

namespace tenant_migrator {

// Every event a reporter receives, in one type list: it drives the Reporter
// concept, check_reporter, NullReporter and CombinedReporter, so an event
// added here is required (and ignored, and forwarded) everywhere at once.
inline constexpr auto reporter_events =
    boost::hana::tuple_t<run_started, tenant_started, migration_started, migration_applied, migration_failed,
                         tenant_finished, run_finished>;

template <class E>
inline constexpr bool is_reporter_event = boost::hana::contains(reporter_events, boost::hana::type_c<E>);

namespace requirement {

template <class R, class Event>
concept reporter_handles = requires(R& reporter, const Event& event) { reporter.on(event); };

template <class R>
inline constexpr bool reporter_handles_every_event = boost::hana::unpack(reporter_events, [](auto... event) {
  return (reporter_handles<R, typename decltype(event)::type> && ...);
});

}  // namespace requirement

template <class R>
concept Reporter = requirement::reporter_handles_every_event<R>;

// Ignores every event; a base for reporters that care about a few
// (write `using NullReporter::on;` beside your handlers).
struct NullReporter {
  template <class Event>
    requires is_reporter_event<Event>
  void on(const Event&) {}
};

namespace detail {
// Fails for the first event R has no handler for; the compiler's
// "required from" line names the Event.
template <class R, class Event>
constexpr void require_handler() {
  static_assert(requirement::reporter_handles<R, Event>,
                "Reporter: missing `void on(const Event&)` for the Event named in this message (derive from NullReporter "
                "and write `using NullReporter::on;` to ignore the events you do not handle)");
}
}  // namespace detail

namespace detail {
template <class... Events>
struct event_list {};
// reporter_events as a plain type, so the checks below can deduce the events
// without compile-time evaluation noise in the compiler's message.
using reporter_event_list =
    typename decltype(boost::hana::unpack(reporter_events, boost::hana::template_<event_list>))::type;

template <class R, class... Events>
constexpr bool require_handlers(event_list<Events...>) {
  (require_handler<R, Events>(), ...);
  return true;
}
}  // namespace detail

// One static_assert per event: why R is not a Reporter.
template <class R>
constexpr bool check_reporter() {
  return detail::require_handlers<R>(detail::reporter_event_list{});
}

}  // namespace tenant_migrator
