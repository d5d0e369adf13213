"""Teachers' generated content: vocabulary lists and example sentences, checked before use."""
