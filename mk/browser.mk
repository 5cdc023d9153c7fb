# Headless Chromium for tests/test_browser.py: Debian's chromium + chromium-driver, driven by Playwright with
# executable_path=/usr/bin/chromium (never `playwright install`, which downloads a browser build).
.PHONY: browser-install

browser-install:
	@if [ -x /usr/bin/chromium ]; then \
		echo "chromium present: $$(/usr/bin/chromium --version 2>/dev/null | tail -1)"; \
	else \
		apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium chromium-driver; \
	fi
