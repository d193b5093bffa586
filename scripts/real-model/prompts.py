"""The test prompts whose greedy replies transformers records in truth.json (the tests replay them)."""

LONG = " ".join(
    [
        "The Amazon rainforest covers much of the Amazon basin of South America.",
        "It spans nine countries and holds the largest remaining tropical forest on Earth.",
        "Its rivers carry about a fifth of all the fresh water that flows into the oceans,",
        "and its trees store a vast amount of carbon.",
        "Scientists count tens of thousands of plant species there, thousands of fish and birds,",
        "and millions of insects, many of them still undescribed.",
        "Deforestation for cattle ranching, soy farming, mining and roads has cleared about",
        "a fifth of the forest since 1970, and fires now burn more often in dry years.",
    ]
)

PROMPTS = [
    {"name": "capital", "messages": [{"role": "user", "content": "What is the capital of France?"}], "max_tokens": 12},
    {
        "name": "system",
        "messages": [
            {"role": "system", "content": "You are a pirate. Answer in one short sentence."},
            {"role": "user", "content": "Where is the treasure?"},
        ],
        "max_tokens": 16,
    },
    {
        "name": "multi_turn",
        "messages": [
            {"role": "user", "content": "My name is Ada."},
            {"role": "assistant", "content": "Nice to meet you, Ada!"},
            {"role": "user", "content": "What is my name?"},
        ],
        "max_tokens": 12,
    },
    {
        "name": "long",
        "messages": [{"role": "user", "content": LONG + "\n\nSummarize this text in one sentence."}],
        "max_tokens": 16,
    },
    {
        "name": "non_ascii",
        "messages": [{"role": "user", "content": "Traduis en anglais : « Où est la gare ? » 🚉"}],
        "max_tokens": 12,
    },
    {"name": "stop", "messages": [{"role": "user", "content": "Say only the word yes."}], "max_tokens": 24},
]
