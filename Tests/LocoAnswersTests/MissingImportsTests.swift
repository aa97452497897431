import Testing
@testable import LocoAnswers

@Suite struct MissingImportsTests {
    @Test func anImportTheQuestionShowsIsAddedWhenTheAnswerUsesItsName() {
        // HumanEval's form: the stub is pasted with its import, the answer is the function alone.
        let question = "from typing import List\n\n\ndef has_close_elements(numbers: List[float], threshold: float) -> bool:\n    \"\"\" Check if any two numbers are closer than threshold. \"\"\""
        let answer = "def has_close_elements(numbers: List[float], threshold: float) -> bool:\n    return False"
        let completed = MissingImports.completing(answer, question: question)
        #expect(completed.added == ["from typing import List"])
        #expect(completed.code == "from typing import List\n" + answer)
    }

    @Test func typingNamesAndStandardModulesAreAddedWhereUsed() {
        let answer = "def norm(xs: List[float]) -> Optional[float]:\n    return math.sqrt(sum(x * x for x in xs)) if xs else None"
        let completed = MissingImports.completing(answer, question: "Write norm(xs).")
        #expect(completed.added == ["from typing import List, Optional", "import math"])
        #expect(completed.code.hasSuffix("\n" + answer))
    }

    @Test func whatTheAnswerAlreadyBindsIsLeftAlone() {
        for answer in [
            "from typing import List\ndef f(xs: List[int]):\n    return xs",
            "import math as math\ndef f(x):\n    return math.floor(x)",
            "def f(math):\n    return math.floor(1)",
            "def f(xs):\n    for re in xs:\n        re.append(1)",
            "class List:\n    pass\ndef f() -> List:\n    return List()",
        ] {
            let completed = MissingImports.completing(answer, question: "from typing import List\nimport math")
            #expect(completed.added.isEmpty, "\(answer)")
            #expect(completed.code == answer)
        }
    }

    @Test func namesInStringsCommentsAndAttributesImportNothing() {
        let answer = "def f(xs):\n    \"\"\"Return a List of the items, as math.floor would.\"\"\"\n    # Optional: sort first\n    s = 'see re.sub'\n    return xs.copy().math"
        #expect(MissingImports.completing(answer, question: "import re").added.isEmpty)
        // A module name used as a plain word is not a call into it.
        #expect(MissingImports.completing("def f(string):\n    return string", question: "").added.isEmpty)
    }

    @Test func theQuestionsOwnImportsAreReadAsWritten() {
        #expect(MissingImports.importLines(in: "import numpy as np\nfrom collections import Counter, defaultdict\nimport this is not code\nfrom x import (a, b)")
                == ["import numpy as np", "from collections import Counter, defaultdict", "from x import (a, b)"])
        #expect(MissingImports.namesBound(byImport: "import numpy as np") == ["np"])
        #expect(MissingImports.namesBound(byImport: "import os.path, sys") == ["os", "sys"])
        #expect(MissingImports.namesBound(byImport: "from x import (a, b as c)") == ["a", "c"])
        let completed = MissingImports.completing("def f(xs):\n    return np.mean(xs) + len(Counter(xs))", question: "import numpy as np\nfrom collections import Counter\nfrom os import path")
        #expect(completed.added == ["import numpy as np", "from collections import Counter"])
    }

    @Test func aFutureImportStaysFirst() {
        let completed = MissingImports.completing("from __future__ import annotations\ndef f(x: Any): return x", question: "")
        #expect(completed.code == "from __future__ import annotations\nfrom typing import Any\ndef f(x: Any): return x")
    }
}
