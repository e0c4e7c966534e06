"""The "HMI": polls the PLC's setpoint registers and raises an alarm when a setpoint changes."""
import socket
import struct
import sys
import time

from applog import log

PORT = int(sys.argv[1]) if len(sys.argv) > 1 else 15020
POLLS = int(sys.argv[2]) if len(sys.argv) > 2 else 6


def read_registers(start, count):
    with socket.create_connection(("127.0.0.1", PORT)) as s:
        s.sendall(struct.pack(">HHHBBHH", 1, 0, 6, 1, 3, start, count))
        reply = s.recv(256)
    n = reply[8] // 2
    return list(struct.unpack(">" + "H" * n, reply[9:9 + 2 * n]))


def main():
    last = None
    for _ in range(POLLS):
        values = read_registers(0, 2)
        log("hmi", "poll", registers=values)
        if last is not None and values != last:
            log("hmi", "alarm.setpoint_changed", before=last, after=values, severity="high")
        last = values
        time.sleep(0.3)


main()
