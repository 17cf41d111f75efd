@echo off
chcp 65001 >nul
rem Starts the dashboard on Windows (run install.bat first); arguments go to streamlit run.
cd /d "%~dp0app"
"%~dp0.venv\Scripts\python.exe" -m streamlit run app.py %*
