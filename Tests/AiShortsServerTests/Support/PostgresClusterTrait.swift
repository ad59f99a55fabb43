import AiShortsTestSupport
import Testing

/// (The same trait as AiShortsCoreTests': a trait needs Testing, which the shared support library does not link.)
/// Gives a suite one private PostgreSQL cluster, started before its first test and stopped after its
/// last. A cluster that cannot start is not a skip: every test that asks for it fails with the reason.
struct PostgresClusterTrait: SuiteTrait, TestScoping {
    @TaskLocal static var current: Result<PostgresCluster, PostgresClusterError>?

    func scopeProvider(for test: Test, testCase: Test.Case?) -> Self? {
        test.isSuite ? self : nil
    }

    func provideScope(for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void) async throws {
        try await PostgresCluster.scoped { started in
            try await Self.$current.withValue(started) { try await function() }
        }
    }

    /// The suite's cluster; throws why there is none.
    static func cluster() throws -> PostgresCluster {
        guard let current else { throw PostgresClusterError("the suite has no .postgresCluster trait") }
        return try current.get()
    }
}

extension Trait where Self == PostgresClusterTrait {
    /// A private PostgreSQL cluster for the suite.
    static var postgresCluster: Self { PostgresClusterTrait() }
}
