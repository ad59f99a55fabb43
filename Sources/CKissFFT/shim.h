// KISS FFT (BSD-3-Clause), Debian's libkissfft-dev, float build: the real FFTs of the hibari
// voice's signal back end. scripts/bootstrap.sh installs the package.
#define kiss_fft_scalar float
#include <kissfft/kiss_fftr.h>
