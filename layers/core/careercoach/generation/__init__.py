"""Generation: one spec per kind (`kinds.SPECS`), one service that generates any of them (`service`), and the
offline generator registered as the registry's last provider (`offline_provider`).

Nothing is imported here: the specs must load in functions that ship without the LLM layer (the WebSocket
function reads stored results by kind), while the service needs that layer."""
