"""ok / FAIL lines for the python helpers of integration tests, in the
format of lib.sh (which adds them up with `tally`)."""


class Checks:
    def __init__(self):
        self.npass = self.nfail = 0

    def __call__(self, ok, desc):
        if ok:
            self.npass += 1
            print("ok - " + desc)
        else:
            self.nfail += 1
            print("FAIL - " + desc)
