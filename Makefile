# Directive tracker — every target calls a script in scripts/; `make help`
# lists them. Extra arguments go through ARGS, e.g.
#   make test ARGS="tests/tasks -k submit"
#   make migrate ARGS="tasks 0003"

SHELL := /bin/bash
.DEFAULT_GOAL := help
ARGS ?=

.PHONY: help run test lint format migrate seed check-deploy bench venv clean

help: ## List the targets
	@echo "Directive tracker — make targets (extra arguments: ARGS=\"...\")"
	@grep -hE '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) | \
		awk 'BEGIN {FS = ":.*?## "}; {printf "  \033[1m%-14s\033[0m %s\n", $$1, $$2}'

run: ## Run web + Celery worker + beat on demo data (SQLite unless DATABASE_URL/REDIS_URL)
	@bash scripts/run.sh $(ARGS)

test: ## Quality gates, then all tests on PostgreSQL + Redis (+ Chromium)
	@bash scripts/test.sh $(ARGS)

lint: ## ruff check and ruff format --check
	@bash scripts/lint.sh $(ARGS)

format: ## ruff check --fix and ruff format (rewrites files)
	@bash scripts/lint.sh --fix $(ARGS)

migrate: ## Apply migrations (same database as make run)
	@bash scripts/manage.sh migrate $(ARGS)

seed: ## Load the demo data (manage.py seed_demo; safe to repeat)
	@bash scripts/manage.sh seed_demo $(ARGS)

check-deploy: ## Django's deploy checklist on the production settings
	@bash scripts/check-deploy.sh $(ARGS)

bench: ## Speed benchmarks (benchmarks/run.sh)
	@bash scripts/bench.sh $(ARGS)

venv: ## Create .venv and install requirements/lock.txt (the others do it too)
	@bash scripts/bootstrap.sh

clean: ## Remove var/ (broker, mail, media) and db.sqlite3; keeps .venv
	rm -rf var db.sqlite3
