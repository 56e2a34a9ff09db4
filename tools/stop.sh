#!/usr/bin/env bash
# make stop: stop the project-local PostgreSQL cluster.
source "$(dirname "$0")/common.sh"
stop_pg
