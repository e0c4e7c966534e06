"""The suspicious sequence: reads /etc/passwd, spawns a shell, drops a file in /tmp and writes a
PLC setpoint over Modbus (function 6) without going through the HMI."""
import os
import socket
import struct
import subprocess
import sys

from applog import log

PORT = int(sys.argv[1]) if len(sys.argv) > 1 else 15020
DROP = os.environ.get("DEMO_DROP", "/tmp/.tb-demo-update")

with open("/etc/passwd") as f:
    users = [line.split(":")[0] for line in f]
subprocess.run(["/bin/sh", "-c", "id; uname -a"], stdout=subprocess.DEVNULL, check=False)
with open(DROP, "w") as f:
    f.write("persist=1\n")
with socket.create_connection(("127.0.0.1", PORT)) as s:
    s.sendall(struct.pack(">HHHBBHH", 7, 0, 6, 1, 6, 0, 9999))
    s.recv(64)
log("maint-tool", "session.end", users_seen=len(users))
os.unlink(DROP)
