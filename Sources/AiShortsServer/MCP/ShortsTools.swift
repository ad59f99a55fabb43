import MCP

/// The MCP tools AiShorts offers, with their input and output schemas and annotations.
///
/// Options are named as in `POST /api/v1/jobs`, so what an agent learns from one door works at the
/// others. Every tool that returns a job returns the API's job object.
enum ShortsTools {
    /// The options every making tool takes, as in `POST /api/v1/jobs`.
    static let options: [String: Value] = [
        "title": ["type": "string", "maxLength": 200, "description": "The title (overrides the spec's)."],
        "voice": ["type": "string", "description": "engine:voice, e.g. hibari:heart, espeak:en-us; list_voices names the installed ones."],
        "language": [
            "type": "string", "maxLength": 35, "pattern": "^[A-Za-z]{2,3}([-_][A-Za-z0-9]{2,4}){0,2}$",
            "description": "The short's language as a BCP 47 tag, e.g. pt-BR, es, ja (default en-US): the LLM writes in it, the default voice speaks it, captions use its script.",
        ],
        "aspect": ["type": "string", "enum": ["9:16", "16:9", "1:1"]],
        "duration": ["type": "number", "minimum": 10, "maximum": 180, "description": "Target length in seconds, for the LLM."],
        "preset": ["type": "string", "description": "x264 preset, e.g. veryfast, ultrafast."],
        "captions": ["description": "true, false, or the spec's captions object."],
        "footage": ["type": "object", "description": "The spec's footage settings."],
        "callback_url": ["type": "string", "description": "Where the server POSTs the job, signed, when it ends."],
    ]

    static let wait: Value = [
        "type": "boolean", "default": true,
        "description": "Wait for the video (progress notifications per stage when a progress token is sent; cancelling the call cancels the job). false returns the queued job at once.",
    ]

    static let id: Value = ["type": "string", "description": "The job's id (a lower-case UUID)."]

    static let scenes: Value = [
        "type": "array", "minItems": 1, "maxItems": 60,
        "description": "The short's scenes: narration text, and optional search phrases for its footage.",
        "items": [
            "type": "object", "required": ["text"], "additionalProperties": false,
            "properties": [
                "text": ["type": "string", "description": "What is spoken in this scene."],
                "queries": ["type": "array", "items": ["type": "string"], "description": "Footage search phrases."],
            ],
        ],
    ]

    /// The job object's schema (the same as the REST API's `Job`).
    static let job: Value = [
        "type": "object",
        "required": ["id", "state", "links"],
        "properties": [
            "id": ["type": "string"],
            "state": ["type": "string", "enum": ["draft", "queued", "running", "succeeded", "failed", "cancelled"]],
            "stage": ["type": ["string", "null"]],
            "fraction": ["type": "number"],
            "eta_seconds": ["type": ["number", "null"]],
            "attempts": ["type": "integer"],
            "created_at": ["type": "string"],
            "started_at": ["type": ["string", "null"]],
            "finished_at": ["type": ["string", "null"]],
            "error": ["type": ["object", "null"]],
            "title": ["type": ["string", "null"]],
            "links": ["type": "object"],
            "report": ["type": ["object", "null"]],
            "video_path": ["type": "string", "description": "The video's file, when it is on the caller's machine."],
            "video_url": ["type": "string", "description": "The video's absolute URL, when the jobs run on a server."],
            "spec": ["type": "string", "description": "The job's spec as YAML (write_script)."],
        ],
    ]

    static func object(_ properties: [String: Value], required: [String] = []) -> Value {
        .object(["type": "object", "properties": .object(properties), "required": .array(required.map { .string($0) }), "additionalProperties": false])
    }

    static var all: [Tool] {
        [
            Tool(name: "make_short", title: "Make a short",
                 description: "Make a vertical short video from exactly one of: a topic (the server's LLM writes the script), a script (plain paragraphs, one scene each), or scenes. Waits for the video by default and returns the job with video_path / links.video.",
                 inputSchema: object(options.merging(["topic": ["type": "string", "maxLength": 500], "script": ["type": "string"], "scenes": scenes, "wait": wait]) { $1 }),
                 annotations: .init(readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true),
                 outputSchema: job),
            Tool(name: "get_short", title: "Get a short",
                 description: "The job: its state, stage and progress, its error line when it failed, and its video (video_path on this machine, links.video over HTTP) once it succeeded.",
                 inputSchema: object(["id": id], required: ["id"]),
                 annotations: .init(readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false),
                 outputSchema: job),
            Tool(name: "list_shorts", title: "List shorts",
                 description: "Jobs, newest first, optionally in one state.",
                 inputSchema: object([
                     "state": ["type": "string", "enum": ["draft", "queued", "running", "succeeded", "failed", "cancelled"]],
                     "limit": ["type": "integer", "minimum": 1, "maximum": 200, "default": 20],
                 ]),
                 annotations: .init(readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false),
                 outputSchema: ["type": "object", "required": ["jobs"], "properties": ["jobs": ["type": "array", "items": job], "next_cursor": ["type": ["string", "null"]]]]),
            Tool(name: "cancel_short", title: "Cancel a short",
                 description: "Cancels a queued or running job (its render stops at once).",
                 inputSchema: object(["id": id], required: ["id"]),
                 annotations: .init(readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: false),
                 outputSchema: job),
            Tool(name: "write_script", title: "Write a script",
                 description: "Has the LLM write a script about a topic (or a theme in a category) and returns the draft job with its spec (YAML) to review; render it with render_spec {id}, or edit and pass the spec to render_spec {id, spec}.",
                 inputSchema: object(options.merging(["topic": ["type": "string", "maxLength": 500], "category": ["type": "string", "maxLength": 500]]) { $1 }),
                 annotations: .init(readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true),
                 outputSchema: job),
            Tool(name: "render_spec", title: "Render a spec",
                 description: "Renders a job spec (YAML text or the same as an object; docs/spec.md), or a draft job by id (with spec: its edited spec). Waits like make_short.",
                 inputSchema: object(options.merging(["spec": ["description": "The spec, as YAML text or an object."], "id": id, "wait": wait]) { $1 }),
                 annotations: .init(readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true),
                 outputSchema: job),
            Tool(name: "list_voices", title: "List voices",
                 description: "The voices installed, as engine:voice names to pass as voice.",
                 inputSchema: object([:]),
                 annotations: .init(readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false),
                 outputSchema: ["type": "object", "required": ["voices"], "properties": ["voices": ["type": "array", "items": ["type": "object"]]]]),
        ]
    }
}
