"""Elevator retrofit (既有住宅加装电梯) services: projects, stages, votes, costs, disputes, subsidy."""
