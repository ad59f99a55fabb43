import Foundation
import Logging

/// A model just loaded, with what loading it cost.
struct LoadedModel: Sendable {
    var model: any Sendable
    var rssBefore: Int
    var rssAfter: Int
    var seconds: Double
}

extension ModelManager {
    /// Counts one more user of the model, loading it if it is not loaded.
    func acquire<Model: Sendable>(_ request: ModelRequest<Model>) async throws -> Model {
        if var entry = entries[request.id] {
            entry.users += 1
            entry.idleTimer?.cancel()
            entry.idleTimer = nil
            entries[request.id] = entry
            usage[request.id]?.sharedUses += 1
            switch entry.state {
            case .ready(let model):
                return try cast(model, request)
            case .loading(let task):
                // Someone else started this load; share it. If it fails, that user removes the entry.
                return try cast(try await task.value.model, request)
            }
        }

        try await makeRoom(for: request)
        if entries[request.id] != nil {
            // Another user started the same load while this one waited for room.
            return try await acquire(request)
        }

        let load = request.load
        let task = Task<LoadedModel, any Error> {
            let before = ProcessMemory.residentBytes()
            let clock = ContinuousClock()
            let start = clock.now
            let model = try load()
            return LoadedModel(model: model, rssBefore: before, rssAfter: ProcessMemory.residentBytes(), seconds: (clock.now - start).inSeconds)
        }
        entries[request.id] = Entry(state: .loading(task), name: request.name, bytes: request.estimatedBytes, users: 1,
                                    lastUse: configuration.clock.now, idleTimer: nil)
        if usage[request.id] == nil { usage[request.id] = ModelUsage(name: request.name, path: request.path.path) }
        do {
            let loaded = try await task.value
            // Re-read: users who joined while this load ran have counted themselves in the record.
            var record = usage[request.id] ?? ModelUsage(name: request.name, path: request.path.path)
            record.loads += 1
            record.loadSeconds += loaded.seconds
            record.rssBeforeLoad = loaded.rssBefore
            record.rssAfterLoad = loaded.rssAfter
            record.rssAfterRelease = nil
            usage[request.id] = record
            if var entry = entries[request.id] {
                entry.state = .ready(loaded.model)
                entry.bytes = max(request.estimatedBytes, loaded.rssAfter - loaded.rssBefore)
                entries[request.id] = entry
            }
            configuration.logger.info(
                "loaded \(request.name) in \(String(format: "%.2f", loaded.seconds)) s; RSS \(ProcessMemory.megabytes(loaded.rssBefore)) -> \(ProcessMemory.megabytes(loaded.rssAfter))",
                metadata: ["model": "\(request.path.path)"])
            return try cast(loaded.model, request)
        } catch {
            entries[request.id] = nil
            wakeBudgetWaiters()
            configuration.logger.warning("could not load \(request.name): \(error)")
            throw error
        }
    }

    /// Counts one user fewer; the last one starts the idle countdown (or releases at once).
    func relinquish(_ id: String) {
        guard var entry = entries[id] else { return }
        entry.users = max(0, entry.users - 1)
        entry.lastUse = configuration.clock.now
        entries[id] = entry
        if entry.users == 0, case .ready = entry.state {
            if configuration.idleRelease <= .zero {
                release(id)
            } else {
                let idle = configuration.idleRelease
                let clock = configuration.clock
                entries[id]?.idleTimer = Task { [weak self] in
                    do { try await clock.sleep(for: idle) } catch { return }
                    await self?.expire(id)
                }
            }
        }
        wakeBudgetWaiters()
    }

    /// Releases the model if it is still unused when its idle time is up.
    func expire(_ id: String) {
        // No `let entry = …` copy here: it would keep the model alive through `release`.
        guard entries[id]?.users == 0, entries[id]?.isReady == true else { return }
        release(id)
    }

    /// Drops the manager's reference (the last one: it has no users), so the model's memory is freed now.
    func release(_ id: String) {
        guard entries[id] != nil else { return }
        entries[id]?.idleTimer?.cancel()
        let before = ProcessMemory.residentBytes()
        let clock = ContinuousClock()
        let start = clock.now
        // No copy of the entry may live in this frame: assigning nil drops the last reference to the
        // model here, so its memory is free before the trim below gives it back to the system.
        entries[id] = nil
        ProcessMemory.trim()
        let seconds = (clock.now - start).inSeconds
        let after = ProcessMemory.residentBytes()
        usage[id]?.releases += 1
        usage[id]?.rssAfterRelease = after
        let name = usage[id]?.name ?? id
        configuration.logger.info(
            "released \(name) in \(String(format: "%.3f", seconds)) s; RSS \(ProcessMemory.megabytes(before)) -> \(ProcessMemory.megabytes(after))")
        wakeBudgetWaiters()
    }

    private func cast<Model>(_ model: any Sendable, _ request: ModelRequest<Model>) throws -> Model {
        guard let typed = model as? Model else {
            throw ModelError(.badModel, "model \(request.name) was loaded as \(type(of: model)), not \(Model.self); two requests share the id \(request.id)")
        }
        return typed
    }
}
