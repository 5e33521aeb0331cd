"""The orchestrator above the stages: `build`, its incremental state, `init` scaffolding."""
