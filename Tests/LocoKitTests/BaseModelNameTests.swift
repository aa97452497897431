import Testing
@testable import LocoKit

/// A LoRA applies only to the base it was trained for, however the engine spells that base.
@Suite struct BaseModelNameTests {
    @Test(arguments: [
        ("google/gemma-3-270m", "gemma3:270m", true),
        ("google/gemma-3-270m", "gemma-3-270m-q4_k_m.gguf", true),
        ("google/gemma-3-270m", "hf.co/unsloth/gemma-3-270m-it-GGUF:Q4_K_M", true),
        ("google/gemma-3-270m", "gemma3:270m-old-ollama", true),
        ("google/gemma-3-270m", "qwen3:4b", false),
        ("google/gemma-3-270m", "gemma3:1b", false),
        ("google/gemma-3-270m", "gemma3", false),
        ("google/gemma-3-270m", "gemma2:270m", false),
        ("meta-llama/Llama-3.2-1B", "llama3.2:1b", true),
        ("meta-llama/Llama-3.2-1B", "llama3.1:8b", false),
        ("Qwen/Qwen3-4B", "qwen3:4b", true),
    ])
    func theEngineModelIsTheBaseOrNot(base: String, engine: String, applies: Bool) {
        #expect((BaseModelName.mismatch(adapterBase: base, engineModel: engine) == nil) == applies)
    }

    @Test func theReasonNamesBoth() {
        #expect(BaseModelName.mismatch(adapterBase: "google/gemma-3-270m", engineModel: "qwen3:4b") == "it was trained for google/gemma-3-270m, and the engine's model is qwen3:4b")
        #expect(BaseModelName.mismatch(adapterBase: "google/gemma-3-270m", engineModel: "???") == "cannot tell whether '???' is google/gemma-3-270m, the model it was trained for")
    }
}
