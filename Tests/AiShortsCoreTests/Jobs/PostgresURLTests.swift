import AiShortsCore
import Testing

@Suite("PostgreSQL URL")
struct PostgresURLTests {
    @Test func aFullURLIsRead() throws {
        let url = try PostgresURL("postgresql://queue:p%40ss@db.example:6543/shorts?sslmode=require", environment: [:])
        #expect(url.host == "db.example" && url.port == 6543 && url.user == "queue" && url.database == "shorts")
        #expect(url.password == "p@ss" && url.sslMode == .require)
        #expect(!url.description.contains("p@ss"), "a password never reaches a log line")
    }

    @Test func defaultsAndThePasswordFromTheEnvironment() throws {
        let url = try PostgresURL("postgres://queue@db/shorts", environment: ["PGPASSWORD": "from-env"])
        #expect(url.port == 5432 && url.sslMode == .prefer && url.password == "from-env")
        let own = try PostgresURL("postgres://queue:inline@db/shorts", environment: ["PGPASSWORD": "from-env"])
        #expect(own.password == "inline", "a password in the URL wins")
    }

    @Test(arguments: [
        ("mysql://u@h/d", "postgres://"),
        ("postgres://h/d", "no user"),
        ("postgres://u@h", "no database"),
        ("postgres://u@h/d?sslmode=verify-full", "disable, prefer or require"),
        ("postgres://u@h/d?application_name=x", "only sslmode"),
        ("not a url", "postgres://USER"),
    ])
    func badURLsSayWhatIsWrongOnOneLine(text: String, expected: String) {
        do {
            _ = try PostgresURL(text, environment: [:])
            Issue.record("\(text) was accepted")
        } catch {
            #expect(error.code == .badRequest && error.field == "--database")
            #expect(error.message.contains(expected), "\(error.message)")
            #expect(!error.message.contains("\n"))
        }
    }

    @Test func aPasswordInABadURLIsNotRepeated() {
        do {
            _ = try PostgresURL("ftp://user:hunter2@h/d", environment: [:])
        } catch {
            #expect(!error.message.contains("hunter2"))
        }
    }
}
