"""What an attacker puts into a link, a file name or a colleague's metadata (shared by the AppTest
and browser tests of hostile input)."""

PHISH = "[点此登录](https://evil.example/login)"
IMAGE = "![](https://evil.example/pixel.png)"
SCRIPT = "</script><script>alert(1)</script>"
IMG_TAG = '<img src="https://evil.example/x.png" onerror="alert(2)">'
BARE = "https://evil.example/auto www.evil.example"
HOSTILE = f"{PHISH} {IMAGE} {SCRIPT} {IMG_TAG} {BARE}"
# Int fields get values outside any range the app offers.
OUT_OF_RANGE = {"y0": "3000", "y1": "-5", "n": "61"}
