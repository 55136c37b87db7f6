# Behaves like 000's 「文件下载器」 server, for the lesson04 benchmark: read one
# recv(1024) as the file name, read the WHOLE file into memory, hand it to a single
# send(), close; forever. Written for the comparison, not copied from the text.
# Usage: python3 py_download_server.py PORT   (serves names relative to the cwd)
import socket
import sys


def serve_one(conn):
    # A function, as in the text, so the file's bytes are freed after each client.
    name = conn.recv(1024).decode("utf-8")
    try:
        with open(name, "rb") as f:
            content = f.read()  # the text's way: the whole file in memory
    except OSError:
        return
    if content:
        conn.send(content)  # a blocking send; Linux queues it all before returning


listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
listener.bind(("127.0.0.1", int(sys.argv[1])))
listener.listen(128)
while True:
    conn, _ = listener.accept()
    serve_one(conn)
    conn.close()
