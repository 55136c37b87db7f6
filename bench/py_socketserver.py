# Python's socketserver.ThreadingTCPServer with a handler that does what 004's
# 「socketserver实现并发」 handler does (recv 1024, upper-case, sendall), written
# for the lesson03 benchmark. Usage: python3 py_socketserver.py PORT [QUEUE]
# QUEUE sets request_queue_size (Python's default is 5) to show that the listen
# queue, not Python's speed, is what stalls a burst.
import socketserver
import sys


class Upper(socketserver.BaseRequestHandler):
    def handle(self):
        while True:
            try:
                data = self.request.recv(1024)
                if not data:
                    break
                self.request.sendall(data.upper())
            except OSError:
                break


if len(sys.argv) > 2:
    socketserver.ThreadingTCPServer.request_queue_size = int(sys.argv[2])
server = socketserver.ThreadingTCPServer(("127.0.0.1", int(sys.argv[1])), Upper)
print("listening", flush=True)
server.serve_forever()
