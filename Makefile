# vankien — the two commands a new machine needs: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEV_STAMP := $(VENV)/.installed-dev

.PHONY: run test check eval bench bench-quick clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(DEV_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@ $(STAMP)

## run: install, load the bundled sample articles into an empty database, start the bot or console chat
run: $(STAMP)
	$(BIN)/vankien ingest --samples --if-empty
	@if [ -n "$$TELEGRAM_BOT_TOKEN" ] || grep -qs '^TELEGRAM_BOT_TOKEN=.' .env; then \
		exec $(BIN)/vankien run; \
	else \
		echo ""; \
		echo "Chưa có TELEGRAM_BOT_TOKEN, nên mở trò chuyện trên màn hình (trả lời giống hệt bot)."; \
		echo "Để chạy bot: nhắn @BotFather trên Telegram, gõ /newbot, lấy token rồi chạy"; \
		echo "    TELEGRAM_BOT_TOKEN=123456:ABC... make run   (hoặc ghi vào tệp .env)"; \
		echo ""; \
		exec $(BIN)/vankien chat; \
	fi

## test: install with the dev extras and run the whole test suite
test: $(DEV_STAMP)
	$(BIN)/python -m pytest -q

## eval: answer quality on the labelled question set
eval: $(DEV_STAMP)
	$(BIN)/python -m tests.eval.evaluate

## bench: speed and memory from 1k to 100k passages (writes tests/bench/RESULTS.md)
bench: $(DEV_STAMP)
	$(BIN)/python -m tests.bench.run

## bench-quick: the 10k size and the incremental check, under five minutes (tests/bench/RESULTS-quick.md)
bench-quick: $(DEV_STAMP)
	$(BIN)/python -m tests.bench.run --quick

## check: lint (ruff), formatting (ruff format --check) and types (mypy; index/ strict, see pyproject.toml)
check: $(DEV_STAMP)
	$(BIN)/ruff check index bot tests
	$(BIN)/ruff format --check index bot tests
	$(BIN)/mypy index bot

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
