"""The AI tutor and the exercises it grades: conversations, explanations, writing, sentences."""
