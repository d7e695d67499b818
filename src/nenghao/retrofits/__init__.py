"""Energy-saving retrofit projects (节能改造项目) and their measurement and verification
(GB/T 28750, IPMVP options B and C)."""
