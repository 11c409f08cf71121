"""An SMTP submission server for the `klachtd config check` tests: STARTTLS required
(the harness's certificate), then AUTH PLAIN/LOGIN for one user. Mail is accepted and
dropped (config check sends none). Usage: smtp_submission.py PORT CERT KEY USER PASSWORD"""
import signal, ssl, sys
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

PORT, CERT, KEY, USER, PASSWORD = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5]


def authenticator(server, session, envelope, mechanism, auth_data):
    ok = (isinstance(auth_data, LoginPassword)
          and auth_data.login.decode() == USER
          and auth_data.password.decode() == PASSWORD)
    return AuthResult(success=ok, handled=False)


class Drop:
    async def handle_DATA(self, server, session, envelope):
        return "250 2.0.0 accepted (dropped)"


ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
ctx.load_cert_chain(CERT, KEY)
signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})
controller = Controller(Drop(), hostname="127.0.0.1", port=PORT, tls_context=ctx,
                        require_starttls=True, authenticator=authenticator,
                        auth_require_tls=True)
controller.start()
print("smtp_submission: 127.0.0.1:%d (STARTTLS, AUTH)" % PORT, flush=True)
signal.sigwait({signal.SIGINT, signal.SIGTERM})
controller.stop()
