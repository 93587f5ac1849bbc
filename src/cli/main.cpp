#include <cstdio>
int main() { std::puts("dlctl"); return 0; }
