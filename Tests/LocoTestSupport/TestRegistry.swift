import LocoRegistry

/// A small registry of two adapters for tests that need one: a number answer with a system prompt
/// and keywords, and a text adapter with keywords as a list.
public let testRegistryYAML = """
adapters:
  math-reasoning:
    version: "0.1.0"
    base_model: "google/gemma-3-270m"
    quantization: "Q4_K_M"
    lora_rank: 8
    created: "2026-S2"
    authors: ["test"]
    description: "math"
    tags: ["math"]
    answer_format: number
    system_prompt: "Solve it."
    router_keywords:
      sum: 1
      how many: 1
      calculate: 2
  writing-academic:
    version: "0.1.0"
    base_model: "google/gemma-3-270m"
    quantization: "Q4_K_M"
    lora_rank: 8
    created: "2026-S2"
    authors: ["test"]
    description: "writing"
    tags: ["writing"]
    system_prompt: "Write well."
    router_keywords: [summarize, essay]
"""

public func testRegistry() throws -> Registry { try Registry.parse(testRegistryYAML) }
