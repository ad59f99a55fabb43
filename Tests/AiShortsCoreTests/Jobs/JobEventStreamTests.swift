@testable import AiShortsCore
import Foundation
import Synchronization
import AiShortsTestSupport
import Testing

@Suite("job event streams")
struct JobEventStreamTests {
    static func event(_ sequence: Int, _ kind: JobEvent.Kind = .note, state: String? = nil) -> JobEvent {
        JobEvent(job: "j", sequence: sequence, kind: kind, data: state.map { "{\"state\":\"\($0)\"}" } ?? "{}", time: Date(timeIntervalSince1970: 0))
    }

    /// Two writers publish after their commits, so a follower can hear event 3 before event 2.
    @Test func eventsPublishedOutOfOrderAreAllGivenInOrder() async throws {
        let stored = Mutex<[JobEvent]>([Self.event(1, .state, state: "running")])
        let hub = EventHub()
        let stream = JobEventStream(after: 0, fetch: { after in stored.withLock { $0.filter { $0.sequence > after } } },
                                    subscribe: { hub.subscribe("j") })
        var iterator = stream.makeAsyncIterator()
        #expect(try await iterator.next()?.sequence == 1)
        let two = Self.event(2)
        let three = Self.event(3, .state, state: "succeeded")
        stored.withLock { $0 += [two, three] }
        hub.publish([three])
        hub.publish([two])
        #expect(try await iterator.next()?.sequence == 2, "the gap is read from the store")
        #expect(try await iterator.next()?.sequence == 3)
        #expect(try await iterator.next() == nil, "the stream ends after the final state")
    }

    /// A client may claim to have seen any number of events (`Last-Event-ID` is the client's word).
    @Test func aFollowerPastTheLargestNumberWaitsWithoutOverflowing() async throws {
        let hub = EventHub()
        let stream = JobEventStream(after: Int.max, fetch: { _ in [] }, subscribe: { hub.subscribe("j") })
        var iterator = stream.makeAsyncIterator()
        async let next = iterator.next()
        try await waitUntil("the follower listens", limit: .seconds(10)) { hub.followerCount == 1 }
        hub.publish([Self.event(1)])
        hub.close()
        #expect(try await next == nil, "an event numbered below what the client saw is not given")
    }
}
