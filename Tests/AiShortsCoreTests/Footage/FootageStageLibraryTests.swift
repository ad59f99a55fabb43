@testable import AiShortsCore
import Foundation
import Testing

/// The footage stage with the user's library and the metadata scorer: ranking, assignment and the
/// fallback to a generated background, with real files made by ffmpeg.
@Suite(.enabled(if: Fixtures.toolsAvailable)) struct FootageStageLibraryTests {
    private func stage(_ fixtures: Fixtures, library: URL) -> FootageStage {
        FootageStage(
            sources: [LocalLibrary(folders: [library])],
            scorer: MetadataScorer(),
            cache: FootageCache(disk: DiskCache(root: fixtures.url("cache"))),
            probe: MediaProbe(),
            frameWidth: 1080,
            frameHeight: 1920
        )
    }

    private func library(_ fixtures: Fixtures) async throws -> URL {
        let folder = fixtures.url("library")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        _ = try await fixtures.clip("library/rocket-launch.mp4", seconds: 4, size: "360x640")
        _ = try await fixtures.clip("library/ocean-waves.mp4", seconds: 4, size: "360x640")
        _ = try await fixtures.still("library/desert-dunes.jpg", size: "320x480")
        return folder
    }

    @Test func eachSceneGetsItsBestFileAndNothingIsUsedTwice() async throws {
        let fixtures = try Fixtures()
        defer { fixtures.remove() }
        let folder = try await library(fixtures)
        let scenes = [
            Scene(text: "The rocket climbs into the sky.", queries: ["rocket launch"]),
            Scene(text: "Waves roll onto the beach.", queries: ["ocean waves"]),
            Scene(text: "Another rocket lifts off.", queries: ["rocket"]),
            Scene(text: "Quarks hide inside protons.", queries: ["quantum chromodynamics"]),
        ]
        let outcome = try await stage(fixtures, library: folder).gather(scenes, durations: [3, 3, 3, 3])
        #expect(outcome.scenes.count == 4)
        #expect(outcome.scenes[0].visuals.first?.label == "video rocket-launch.mp4")
        #expect(outcome.scenes[1].visuals.first?.label == "video ocean-waves.mp4")
        let used = outcome.scenes.flatMap(\.visuals).compactMap { visual -> URL? in
            if case .video(let url, _) = visual { return url }
            if case .still(let url) = visual { return url }
            return nil
        }
        #expect(Set(used).count == used.count, "a file was used twice: \(used)")
        #expect(outcome.scenes[3].origin == "generated")
        #expect(outcome.scenes[3].note.contains("quantum chromodynamics"))
        #expect(outcome.report.scorer == "metadata")
        #expect(outcome.report.requestCount == 0)
    }

    @Test func aLongSceneGetsSeveralShots() async throws {
        let fixtures = try Fixtures()
        defer { fixtures.remove() }
        let folder = try await library(fixtures)
        let scene = Scene(text: "Rockets, oceans and deserts: the whole planet in one breath.", queries: ["rocket", "ocean", "desert"])
        var tuned = stage(fixtures, library: folder)
        tuned.tuning.shotSeconds = 4
        let outcome = try await tuned.gather([scene], durations: [11])
        #expect(outcome.scenes[0].visuals.count == 3)
        #expect(outcome.scenes[0].origin == "library")
    }

    @Test func namedMediaWinsAndIsCheckedFirst() async throws {
        let fixtures = try Fixtures()
        defer { fixtures.remove() }
        let folder = try await library(fixtures)
        let broken = try fixtures.garbage("broken.mp4")
        let scenes = [Scene(text: "A rocket.", media: [broken], queries: ["rocket"])]
        await #expect(throws: FootageError.self) {
            _ = try await stage(fixtures, library: folder).gather(scenes, durations: [3])
        }
    }

    @Test func eachSceneListsTheClipsItConsideredTheShownOneFirst() async throws {
        let fixtures = try Fixtures()
        defer { fixtures.remove() }
        let folder = try await library(fixtures)
        let scenes = [
            Scene(text: "The rocket climbs over the ocean waves.", queries: ["rocket launch", "ocean waves"]),
            Scene(text: "Quarks hide inside protons.", queries: ["quantum chromodynamics"]),
        ]
        let outcome = try await stage(fixtures, library: folder).gather(scenes, durations: [3, 3])
        let considered = outcome.scenes[0].candidates
        // Both the rocket and the waves fit the scene; one is shown, the other is its runner-up.
        let shown = try #require(considered.first)
        #expect(shown.chosen, "\(considered)")
        #expect(outcome.scenes[0].visuals.first?.label.hasSuffix(shown.label) == true, "the first is the one shown: \(considered)")
        #expect(considered.filter(\.chosen).count == outcome.scenes[0].visuals.count)
        let other = shown.label == "rocket-launch.mp4" ? "ocean-waves.mp4" : "rocket-launch.mp4"
        #expect(considered.contains { !$0.chosen && $0.label == other }, "the runner-up is listed: \(considered)")
        #expect(considered.count <= ConsideredClip.perScene)
        #expect(zip(considered.dropFirst(), considered.dropFirst(2)).allSatisfy { $0.score >= $1.score }, "the rest best first")
        for clip in considered {
            #expect(clip.source == "library")
            let media = try #require(clip.media)
            #expect(media.hasPrefix(folder.standardizedFileURL.path) || media.hasPrefix(folder.path), "a file a spec can name: \(media)")
            #expect(FileManager.default.fileExists(atPath: media))
        }
        #expect(outcome.scenes[1].origin == "generated")
        #expect(outcome.scenes[1].candidates.allSatisfy { !$0.chosen })
    }
}
