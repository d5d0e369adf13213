"""learn_app: a language-learning portal with an AI tutor."""
