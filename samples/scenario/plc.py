"""A tiny Modbus/TCP "PLC" on loopback: holding registers, function 3 (read) and 6 (write)."""
import socket
import struct
import sys

from applog import log

PORT = int(sys.argv[1]) if len(sys.argv) > 1 else 15020
registers = [100, 250, 0, 0, 0, 0, 0, 0, 0, 0]


def serve_one(conn):
    while True:
        header = conn.recv(7)
        if len(header) < 7:
            return
        tid, _proto, length, unit = struct.unpack(">HHHB", header)
        pdu = conn.recv(length - 1)
        func = pdu[0]
        if func == 3:
            start, count = struct.unpack(">HH", pdu[1:5])
            values = registers[start:start + count]
            body = struct.pack(">BB", 3, 2 * len(values)) + b"".join(struct.pack(">H", v) for v in values)
        elif func == 6:
            addr, value = struct.unpack(">HH", pdu[1:5])
            old = registers[addr]
            registers[addr] = value
            log("plc", "modbus.write_single_register", register=40001 + addr, old=old, new=value)
            body = pdu[:5]
        else:
            body = struct.pack(">BB", func | 0x80, 1)
        conn.sendall(struct.pack(">HHHB", tid, 0, len(body) + 1, unit) + body)


def main():
    server = socket.socket()
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server.bind(("127.0.0.1", PORT))
    server.listen(4)
    log("plc", "listening", port=PORT)
    while True:
        conn, peer = server.accept()
        if conn.recv(1, socket.MSG_PEEK) == b"":
            conn.close()
            log("plc", "shutdown")
            return
        serve_one(conn)
        conn.close()


main()
