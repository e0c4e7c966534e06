"""Runs the demo scenario: a PLC, an HMI polling it, and an intruder acting in the middle."""
import socket
import subprocess
import sys
import time

from applog import log

PORT = int(sys.argv[1]) if len(sys.argv) > 1 else 15020
PY = sys.executable
HERE = sys.path[0]

plc = subprocess.Popen([PY, "-S", f"{HERE}/plc.py", str(PORT)])
time.sleep(0.5)
log("plant", "start")
hmi = subprocess.Popen([PY, "-S", f"{HERE}/hmi.py", str(PORT), "6"])
time.sleep(0.8)
subprocess.run([PY, "-S", f"{HERE}/intruder.py", str(PORT)], check=True)
hmi.wait()
socket.create_connection(("127.0.0.1", PORT)).close()  # an empty connection tells the PLC to stop
plc.wait()
log("plant", "stop")
