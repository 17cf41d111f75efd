@echo off
chcp 65001 >nul
rem The dashboard CLI on Windows (run install.bat first), like python -m dashboard.
set PYTHONPATH=%~dp0app
"%~dp0.venv\Scripts\python.exe" -m dashboard %*
