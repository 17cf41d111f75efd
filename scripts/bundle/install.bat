@echo off
chcp 65001 >nul
rem Offline install on Windows (not tested on a Windows machine): a venv beside this file, packages from wheelhouse\ only.
setlocal
cd /d "%~dp0"
set PY=py -3.11
if not "%PYTHON%"=="" set PY=%PYTHON%
if not exist .venv\Scripts\python.exe (
  %PY% -m venv .venv || (echo 无法创建虚拟环境：请先安装 Python 3.11（python.org 的安装程序，勾选 py launcher），或 set PYTHON=路径\python.exe & exit /b 1)
)
set PIP_CONFIG_FILE=nul
.venv\Scripts\python.exe -m pip install --isolated --no-index --find-links "%~dp0wheelhouse" --only-binary=:all: --no-cache-dir --disable-pip-version-check --quiet -r app\requirements.txt || exit /b 1
echo 安装完成。启动看板：start.bat
